set(UNIT_LIBS keeper::net)
