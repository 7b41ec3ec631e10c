-- Correctness pass run before every timed run (it doubles as the warm-up): loads the scenario's
-- own script (WRK_SCENARIO, may be empty), so wrk sends exactly the bytes it will send when timed,
-- and checks every response: status 200, the exact body WRK_EXPECT_BODY, the framing
-- (WRK_EXPECT_FRAMING = "length" or "chunked") and no "Connection: close".
-- Prints one line from done(): CHECK responses=<n> bad=<n> first=<first problem>
local scenario = os.getenv("WRK_SCENARIO")
if scenario and scenario ~= "" then
  dofile(scenario)
end

local expect_body = os.getenv("WRK_EXPECT_BODY") or ""
local expect_framing = os.getenv("WRK_EXPECT_FRAMING") or "length"

checked = 0
bad = 0
first = ""

local function problem(status, headers, body)
  if status ~= 200 then
    return "status " .. status
  end
  local h = {}
  for k, v in pairs(headers) do
    h[string.lower(k)] = v
  end
  if body ~= expect_body then
    return string.format("body %q (expected %q)", string.sub(body, 1, 100), expect_body)
  end
  if string.lower(h["connection"] or "") == "close" then
    return "Connection: close"
  end
  if expect_framing == "chunked" then
    if string.lower(h["transfer-encoding"] or "") ~= "chunked" or h["content-length"] then
      return "expected Transfer-Encoding: chunked and no Content-Length, got TE=" .. tostring(h["transfer-encoding"]) .. " CL=" .. tostring(h["content-length"])
    end
  elseif h["content-length"] ~= tostring(#expect_body) or h["transfer-encoding"] then
    return "expected Content-Length: " .. #expect_body .. ", got CL=" .. tostring(h["content-length"]) .. " TE=" .. tostring(h["transfer-encoding"])
  end
  if not string.find(string.lower(h["content-type"] or ""), "text/plain", 1, true) then
    return "Content-Type " .. tostring(h["content-type"])
  end
  return nil
end

response = function(status, headers, body)
  checked = checked + 1
  local p = problem(status, headers, body)
  if p then
    bad = bad + 1
    if first == "" then
      first = p
    end
  end
end

local threads = {}

setup = function(thread)
  table.insert(threads, thread)
end

done = function(summary, latency, requests)
  local n, b, f = 0, 0, ""
  for _, t in ipairs(threads) do
    n = n + t:get("checked")
    b = b + t:get("bad")
    if f == "" then
      f = t:get("first")
    end
  end
  io.write(string.format("CHECK responses=%d bad=%d first=%s\n", n, b, f))
end
