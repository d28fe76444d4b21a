-- A GET of the run's URL with a session cookie (the back office's API). Arguments after `--`: COOKIE.
local cookie
function init(args)
  cookie = args[1]
end
function request()
  return wrk.format("GET", nil, { Cookie = cookie })
end
