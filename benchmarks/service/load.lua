-- wrk script: plain requests (method, body and headers from the environment), JSON summary at
-- the end. BENCH_REQUESTS names a file of pre-signed requests: one per line, the body on the
-- first line, then Content-Digest, Signature-Input and Signature tab-separated (one nonce each).
local requests = {}
local next_index = 0

function init(args)
  local method = os.getenv("BENCH_METHOD") or "GET"
  local path = os.getenv("BENCH_PATH") or "/health"
  local signed = os.getenv("BENCH_REQUESTS")
  if signed == nil or signed == "" then
    local body = os.getenv("BENCH_BODY")
    local headers = {}
    if body ~= nil and body ~= "" then
      headers["Content-Type"] = "application/json"
    else
      body = nil
    end
    requests[1] = wrk.format(method, path, headers, body)
    return
  end
  local file = assert(io.open(signed, "r"))
  local body = file:read("*l")
  for line in file:lines() do
    local digest, input, signature = line:match("^([^\t]+)\t([^\t]+)\t([^\t]+)$")
    requests[#requests + 1] = wrk.format(method, path, {
      ["Content-Type"] = "application/json",
      ["Content-Digest"] = digest,
      ["Signature-Input"] = input,
      ["Signature"] = signature,
    }, body)
  end
  file:close()
end

-- Past the end the first request comes again: a replay, which the service answers 401 and
-- wrk counts as a status error, so a run that ran out of requests is visible.
function request()
  next_index = next_index + 1
  if next_index > #requests then
    next_index = 1
  end
  return requests[next_index]
end

function done(summary, latency, _)
  local errors = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "status_errors": %d, '
      .. '"socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end
