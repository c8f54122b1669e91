set(INTEGRATION_LIBS keeper::chain )
