-- wrk script: count responses by second of the run and by status, so a report can tell when
-- errors happened. Each wrk thread counts in its own Lua state; done() adds the counts up and
-- prints one "TIMELINE <unix second> <status> <count>" line each, then the socket errors.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  counts = {}
end

function response(status, headers, body)
  local key = os.time() .. " " .. status
  counts[key] = (counts[key] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for key, count in pairs(thread:get("counts")) do
      total[key] = (total[key] or 0) + count
    end
  end
  for key, count in pairs(total) do
    io.write(string.format("TIMELINE %s %d\n", key, count))
  end
  local errors = summary.errors
  io.write(string.format("SOCKET_ERRORS connect=%d read=%d write=%d timeout=%d\n",
    errors.connect, errors.read, errors.write, errors.timeout))
end
