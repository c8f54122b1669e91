set(UNIT_LIBS keeper::app_service)
