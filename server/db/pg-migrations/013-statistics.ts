/**
 * PostgreSQL form of SQLite's 013-statistics: `requests.closed_at` filled for the requests closed now,
 * kept by `requests_closed_at` (standing for SQLite's triggers `requests_closed` and `requests_reopened`),
 * and the indexes of the periods.
 */
export const statistics = /* sql */ `
ALTER TABLE requests ADD COLUMN closed_at bigint;

UPDATE requests SET closed_at = (
  SELECT min(e.created_at) FROM request_events e
  WHERE e.request_id = requests.id AND e.detailed_status IN ('fixed', 'not_fixed', 'duplicate', 'referred', 'rejected')
    AND e.id > coalesce((SELECT max(o.id) FROM request_events o
                         WHERE o.request_id = requests.id AND o.detailed_status IN ('received', 'in_progress', 'planned')), 0)
) WHERE status = 'closed';

-- Writes only when the column changes, so a note or a second closing status touches no request.
CREATE FUNCTION requests_closed_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.detailed_status IN ('fixed', 'not_fixed', 'duplicate', 'referred', 'rejected') THEN
    UPDATE requests SET closed_at = NEW.created_at WHERE id = NEW.request_id AND closed_at IS NULL;
  ELSE
    UPDATE requests SET closed_at = NULL WHERE id = NEW.request_id AND closed_at IS NOT NULL;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER requests_closed_at AFTER INSERT ON request_events
  FOR EACH ROW WHEN (NEW.detailed_status IN ('fixed', 'not_fixed', 'duplicate', 'referred', 'rejected', 'received', 'in_progress', 'planned'))
  EXECUTE FUNCTION requests_closed_at();

CREATE INDEX requests_by_filing ON requests (jurisdiction_id, requested_at, visibility, queued);
CREATE INDEX requests_by_closing ON requests (jurisdiction_id, closed_at, visibility, queued) WHERE closed_at IS NOT NULL;
`;
