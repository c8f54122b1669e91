set(UNIT_LIBS keeper::app_metrics nlohmann_json::nlohmann_json)
