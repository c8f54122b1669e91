# End-to-end: `margin-keeper stress` predicts, the chain and the keeper confirm.
set(INTEGRATION_LIBS keeper::app_daemon keeper::app_devnet keeper::app_state keeper::chain keeper::margin)
set(INTEGRATION_DEFINITIONS KEEPER_BINARY="$<TARGET_FILE:margin-keeper>")
set(INTEGRATION_DEPENDS margin-keeper)
