# End to end: the margin-keeper binary fed by a Chainlink aggregator on anvil
# ([[feeds]]: AnswerUpdated triggers, a stale feed halts, a fresh round resumes).
set(INTEGRATION_LIBS keeper::app_daemon keeper::app_devnet keeper::chain)
set(INTEGRATION_DEFINITIONS KEEPER_BINARY="$<TARGET_FILE:margin-keeper>")
set(INTEGRATION_DEPENDS margin-keeper)
