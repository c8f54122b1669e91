set(UNIT_LIBS keeper::margin)
