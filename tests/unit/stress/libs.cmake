set(UNIT_LIBS keeper::margin keeper::app_config)
