set(UNIT_LIBS keeper::core)
