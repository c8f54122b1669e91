set(INTEGRATION_LIBS keeper::chain keeper::margin)
# Absolute paths: __FILE__ is relative to the build folder when ccache's
# base_dir (or any relative build) rewrites it.
set(INTEGRATION_DEFINITIONS KEEPER_MORPHO_READER_MOCKS="${CMAKE_CURRENT_LIST_DIR}/MorphoReaderMocks.sol"
                            KEEPER_REPO_ROOT="${PROJECT_SOURCE_DIR}")
