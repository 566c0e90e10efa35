-- One benchmark request, sent by wrk:  wrk ... -s request.lua URL -- BODY_FILE [AUTH] [KEYS_FILE]
-- "{{n}}" in the body becomes a number unique to the request (new customer numbers);
-- with KEYS_FILE (lines "key version"), "{{key}}" and "{{version}}" take the next customer
-- of this thread's share (of two threads); update.lua also reads the versions answered.
local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  local file = assert(io.open(args[1], "rb"))
  template = file:read("*a")
  file:close()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Accept"] = "application/json"
  if args[2] ~= nil and args[2] ~= "" then
    wrk.headers["Authorization"] = args[2]
  end
  counter = 0
  dynamic = template:find("{{", 1, true) ~= nil
  if not dynamic then
    fixed = wrk.format(nil, nil, nil, template)
  end
  keys, versions, next_key = {}, {}, 0
  if args[3] ~= nil then
    local index = 0
    for line in io.lines(args[3]) do
      local key, version = line:match("^(%S+) (%d+)$")
      if index % 2 == tid then
        table.insert(keys, key)
        versions[key] = version
      end
      index = index + 1
    end
  end
end

function request()
  if not dynamic then
    return fixed
  end
  counter = counter + 1
  local body = template:gsub("{{n}}", tid .. "-" .. counter)
  if #keys > 0 then
    next_key = next_key % #keys + 1
    local key = keys[next_key]
    body = body:gsub("{{key}}", key):gsub("{{version}}", versions[key])
  end
  return wrk.format(nil, nil, nil, body)
end
