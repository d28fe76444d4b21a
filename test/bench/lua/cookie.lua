-- A GET of the run's URL with a session cookie (the back office's API). Arguments after `--`: COOKIE.
function init(args)
  wrk.headers["Cookie"] = args[1]
end
function request()
  return wrk.format()
end
