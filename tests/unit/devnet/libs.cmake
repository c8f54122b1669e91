set(UNIT_LIBS keeper::app_devnet)
