set(INTEGRATION_LIBS keeper::app_devnet)
