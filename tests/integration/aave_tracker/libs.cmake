# The Aave V3 adapter on the daemon's shared log follower, against a real Aave V3 market on anvil.
set(INTEGRATION_LIBS keeper::app_daemon keeper::protocols keeper::app_devnet keeper::chain keeper::margin)
