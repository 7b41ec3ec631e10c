-- wrk -s pipeline.lua: each write carries WRK_PIPELINE (default 10) back-to-back GET requests
-- for the URL's path; wrk counts every response and waits for all of them before writing again.
local depth = tonumber(os.getenv("WRK_PIPELINE") or "10")

init = function(args)
  local r = {}
  for i = 1, depth do
    r[i] = wrk.format(nil, wrk.path)
  end
  req = table.concat(r)
end

request = function()
  return req
end
