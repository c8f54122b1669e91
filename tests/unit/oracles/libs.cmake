set(UNIT_LIBS keeper::oracles)
