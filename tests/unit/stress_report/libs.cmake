set(UNIT_LIBS keeper::app_daemon keeper::margin)
