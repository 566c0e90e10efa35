-- request.lua, and the version each answer reports is the one the next update of that
-- customer sends (our updateCustomer checks it): wrk ... -s update.lua URL -- BODY AUTH KEYS
dofile("request.lua")

function response(status, headers, body)
  if #keys > 0 and body ~= nil then
    local key = body:match('"id"%s*:%s*"([^"]+)"')
    local version = body:match('"version"%s*:%s*(%d+)')
    if key ~= nil and version ~= nil and versions[key] ~= nil then
      versions[key] = version
    end
  end
end
