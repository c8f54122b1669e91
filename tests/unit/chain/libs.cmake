set(UNIT_LIBS keeper::chain)
