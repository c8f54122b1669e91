# End to end: the margin-keeper binary against a Yield v2 devnet on anvil.
set(INTEGRATION_LIBS keeper::protocol_yield_v2_devnet keeper::strategies)
set(INTEGRATION_DEFINITIONS KEEPER_BINARY="$<TARGET_FILE:margin-keeper>")
set(INTEGRATION_DEPENDS margin-keeper)
