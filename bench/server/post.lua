-- wrk -s post.lua: POST a 4 KiB body (Content-Length framing; wrk.format adds the header).
wrk.method = "POST"
wrk.body = string.rep("0123456789abcdef", 256)
wrk.headers["Content-Type"] = "application/octet-stream"
