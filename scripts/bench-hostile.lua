-- wrk script of `make bench-hostile`: the method, body and client addresses of one
-- endpoint's load (from the environment), and answers counted by class, so a run
-- prints how many were refused (429) and whether any failed (5xx).
--   METHOD=POST BODY='{"…"}' ROTATE=1 wrk -s scripts/bench-hostile.lua URL
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  ok, refused, other4xx, failed = 0, 0, 0, 0
  method = os.getenv("METHOD") or "GET"
  body = os.getenv("BODY")
  if body == "" then body = nil end
  rotate = os.getenv("ROTATE") == "1"
  sent = 0
end

function request()
  sent = sent + 1
  local headers = { ["Accept-Encoding"] = "br" }
  if body then headers["Content-Type"] = "application/json" end
  -- One client (the flood the limits are for), or a new address per request (many
  -- clients at once: what reaches the objects behind the limits).
  if rotate then
    headers["CF-Connecting-IP"] = string.format("10.%d.%d.%d",
      math.floor(sent / 65536) % 256, math.floor(sent / 256) % 256, sent % 256)
  else
    headers["CF-Connecting-IP"] = "198.51.100.200"
  end
  return wrk.format(method, nil, headers, body)
end

function response(status, headers, body)
  if status >= 500 then failed = failed + 1
  elseif status == 429 then refused = refused + 1
  elseif status >= 400 then other4xx = other4xx + 1
  else ok = ok + 1 end
end

function done(summary, latency, requests)
  local t = { ok = 0, refused = 0, other4xx = 0, failed = 0 }
  for _, thread in ipairs(threads) do
    for k, _ in pairs(t) do t[k] = t[k] + thread:get(k) end
  end
  local e = summary.errors
  -- ok refused other-4xx 5xx socket-errors requests/s p99-ms
  io.write(string.format("COUNTS %d %d %d %d %d %.1f %.1f\n", t.ok, t.refused, t.other4xx, t.failed,
    e.connect + e.read + e.write + e.timeout,
    summary.requests / (summary.duration / 1e6), latency:percentile(99) / 1000))
end
