set(UNIT_LIBS keeper::protocols)
