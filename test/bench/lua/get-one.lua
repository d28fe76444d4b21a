-- GET one request: a random existing id per call. Arguments after `--`: FIRST_ID LAST_ID.
local first, last
function init(args)
  first, last = tonumber(args[1]), tonumber(args[2])
  math.randomseed(os.time())
end
function request()
  return wrk.format(nil, "/open311/v2/requests/" .. math.random(first, last) .. ".json")
end
