set(UNIT_LIBS keeper::strategies)
