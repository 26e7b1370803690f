# SPDX-License-Identifier: MIT
# Packages built from the install rules: `cpack -G TGZ` or `cpack -G DEB` in a release build tree.
# One Debian package per component (chat-server, chat-cli, chat-desktop).
set(CPACK_PACKAGE_NAME "neonchat")
set(CPACK_PACKAGE_VENDOR "NeonChat")
set(CPACK_PACKAGE_CONTACT "NeonChat maintainers <maintainers@neonchat.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_GENERATOR "TGZ;DEB")

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_SERVER_PACKAGE_NAME "neonchat-server")
set(CPACK_DEBIAN_CLI_PACKAGE_NAME "neonchat-cli")
set(CPACK_DEBIAN_DESKTOP_PACKAGE_NAME "neonchat-desktop")
set(CPACK_COMPONENT_SERVER_DESCRIPTION "NeonChat server: REST, probes, metrics and WebSocket chat")
set(CPACK_COMPONENT_CLI_DESCRIPTION "NeonChat console client")
set(CPACK_COMPONENT_DESKTOP_DESCRIPTION "NeonChat desktop client (Qt Quick)")

include(CPack)
