set(UNIT_LIBS keeper::protocol_yield_v2)
