set(UNIT_LIBS keeper::app_logging nlohmann_json::nlohmann_json)
