# The daemon's AaveTracker against a real Aave V3 market on anvil.
set(INTEGRATION_LIBS keeper::app_daemon keeper::app_devnet keeper::chain keeper::margin)
