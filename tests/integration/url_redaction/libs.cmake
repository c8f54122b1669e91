# End-to-end: the margin-keeper binary never shows a URL's credentials, path
# or query (API keys live there) in its output, nor on a child's command line.
set(INTEGRATION_LIBS keeper::app_devnet keeper::chain)
set(INTEGRATION_DEFINITIONS KEEPER_BINARY="$<TARGET_FILE:margin-keeper>")
set(INTEGRATION_DEPENDS margin-keeper)
