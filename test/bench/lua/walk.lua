-- A cold case's calls (test/bench/walk.ts, its twin): call k asks the value (k × STRIDE) mod COUNT, which
-- visits every value of 0…COUNT−1 once before any comes back. Arguments after `--`:
-- COUNT STRIDE FIRST THREADS TEMPLATE BASE SPAN. This run's calls are k = FIRST, FIRST + 1, … spread over
-- THREADS threads (thread i takes FIRST + i, then every THREADS-th). In TEMPLATE, {id} becomes BASE + value;
-- {end} the datetime BASE − value seconds, {start} SPAN seconds before it. At the end it prints the first k
-- no thread reached (threads go at their own pace), where the case's next run starts.
local threads = {}
function setup(thread)
  thread:set("index", #threads)
  table.insert(threads, thread)
end
local count, stride, step, template, base, span
function init(args)
  count, stride, step = tonumber(args[1]), tonumber(args[2]), tonumber(args[4])
  template, base, span = args[5], tonumber(args[6]), tonumber(args[7])
  next_k = tonumber(args[3]) + index
end
local function datetime(seconds)
  return os.date("!%Y-%m-%dT%H:%M:%SZ", seconds)
end
function request()
  local value = (next_k * stride) % count
  next_k = next_k + step
  local path = template:gsub("{(%a+)}", function(name)
    if name == "id" then return string.format("%d", base + value) end
    if name == "end" then return datetime(base - value) end
    return datetime(base - value - span)
  end)
  return wrk.format(nil, path)
end
function done()
  local reached = 0
  for _, thread in ipairs(threads) do reached = math.max(reached, thread:get("next_k")) end
  io.write(string.format("WALK_NEXT %d\n", reached))
end
