# The status page end to end: the margin-keeper daemon on anvil, its page
# loaded by headless Chromium (Debian `chromium`, installed by scripts/setup).
set(INTEGRATION_LIBS keeper::app_daemon keeper::app_devnet keeper::chain keeper::margin)
set(INTEGRATION_DEFINITIONS KEEPER_BINARY="$<TARGET_FILE:margin-keeper>")
set(INTEGRATION_DEPENDS margin-keeper)
