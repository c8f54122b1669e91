set(INTEGRATION_LIBS keeper::protocol_yield_v2_devnet keeper::strategies)
