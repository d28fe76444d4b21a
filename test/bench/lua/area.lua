-- GET a page of the requests in an area, a different area per call, so no cache sees the same query twice.
-- Arguments after `--`: KIND LAT LONG JITTER_LAT JITTER_LONG HALF_LAT HALF_LONG RADIUS PAGE_SIZE.
-- KIND `bbox`: the box of half-sides HALF_LAT × HALF_LONG degrees around a centre; `near`: RADIUS metres
-- around a point. The centre or point is drawn uniformly within ± JITTER degrees of LAT, LONG.
local kind, lat, long, jitterLat, jitterLong, halfLat, halfLong, radius, pageSize
function init(args)
  kind = args[1]
  lat, long = tonumber(args[2]), tonumber(args[3])
  jitterLat, jitterLong = tonumber(args[4]), tonumber(args[5])
  halfLat, halfLong, radius = tonumber(args[6]), tonumber(args[7]), tonumber(args[8])
  pageSize = args[9]
  math.randomseed(os.time())
end
function request()
  local y = lat + (math.random() * 2 - 1) * jitterLat
  local x = long + (math.random() * 2 - 1) * jitterLong
  local query
  if kind == "near" then
    query = string.format("lat=%.6f&long=%.6f&radius=%d", y, x, radius)
  else
    query = string.format("bbox=%.6f,%.6f,%.6f,%.6f", x - halfLong, y - halfLat, x + halfLong, y + halfLat)
  end
  return wrk.format(nil, "/open311/v2/requests.json?" .. query .. "&page_size=" .. pageSize)
end
