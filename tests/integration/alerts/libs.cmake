set(INTEGRATION_LIBS keeper::app_alerts)
