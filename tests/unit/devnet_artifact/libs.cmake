set(UNIT_LIBS keeper::app_devnet nlohmann_json::nlohmann_json)
