set(INTEGRATION_LIBS keeper::net keeper::chain)
