# systemd: the unit file checked by systemd-analyze verify, pointing at the built binary.
set(INTEGRATION_LIBS keeper::core)
set(INTEGRATION_DEFINITIONS KEEPER_BINARY="$<TARGET_FILE:margin-keeper>"
                            KEEPER_UNIT_FILE="${PROJECT_SOURCE_DIR}/systemd/margin-keeper.service")
set(INTEGRATION_DEPENDS margin-keeper)
