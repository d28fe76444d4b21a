-- POST a request (urlencoded, the demo key), at a random spot in town with a numbered description.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
local n = 0
function request()
  n = n + 1
  local body = string.format(
    "api_key=demo-public-key&service_code=corbeille-pleine&lat=%.5f&long=%.5f" ..
    "&description=Corbeille+pleine+devant+le+n%%C2%%B0%d%%2C+rue+Nationale",
    47.374 + math.random() * 0.04, 0.655 + math.random() * 0.06, n)
  return wrk.format(nil, nil, nil, body)
end
