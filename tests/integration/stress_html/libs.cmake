# `stress --html` rendered by headless Chromium (Debian `chromium`, installed
# by scripts/setup) and its screenshot decoded with libpng (libpng-dev, also
# from scripts/setup). No chain: the report comes from a hand-made book.
find_package(PNG REQUIRED)
set(INTEGRATION_LIBS keeper::app_daemon keeper::margin PNG::PNG)
set(INTEGRATION_DEFINITIONS KEEPER_BINARY="$<TARGET_FILE:margin-keeper>")
set(INTEGRATION_DEPENDS margin-keeper)
