# SPDX-License-Identifier: MIT
# Packages built from the install rules: `cpack -G DEB` (or TGZ) in a release build tree gives
# neonchat-server, neonchat-cli and neonchat-desktop. Their Depends name every piece loaded at
# run time, not only the libraries the linker sees (dpkg-shlibdeps finds those), so that
# `apt-get install --no-install-recommends ./neonchat-*.deb` on a clean Debian 12 runs
# (scripts/package-test proves it).
set(CPACK_PACKAGE_NAME "neonchat")
set(CPACK_PACKAGE_VENDOR "NeonChat")
set(CPACK_PACKAGE_CONTACT "NeonChat maintainers <maintainers@neonchat.invalid>")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
# CPack's DEB generator puts any other summary before each package's own synopsis (the first
# line of CPACK_DEBIAN_<COMPONENT>_DESCRIPTION below); its default summary it leaves out.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_NAME} built using CMake")
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_GENERATOR "TGZ;DEB")
set(CPACK_STRIP_FILES ON)
# The unit and the configuration file install to absolute paths (/lib/systemd/system,
# /etc/neonchat): with DESTDIR they land inside the package, never on the building machine.
# Everything else goes under /usr, as the unit's ExecStart expects. The TGZ is a tree to
# unpack at / (usr/bin, etc/neonchat, lib/systemd/system).
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX "/usr")
set(CPACK_COMPONENTS_ALL server cli)
if(NEONCHAT_BUILD_DESKTOP)
    list(APPEND CPACK_COMPONENTS_ALL desktop)
endif()

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# The Debian revision; packaging/debian/changelog names the same version.
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_SERVER_PACKAGE_NAME "neonchat-server")
set(CPACK_DEBIAN_CLI_PACKAGE_NAME "neonchat-cli")
set(CPACK_DEBIAN_DESKTOP_PACKAGE_NAME "neonchat-desktop")

# Qt loads SQL drivers and the TLS backend as plugins: dpkg-shlibdeps cannot see them.
# adduser creates the neonchat system user in postinst.
set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS
    "adduser, libqt6sql6-sqlite, libqt6sql6-psql, libssl3")
set(CPACK_DEBIAN_SERVER_PACKAGE_SUGGESTS "postgresql, redis-server")
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA
    "${CMAKE_CURRENT_LIST_DIR}/server/debian/postinst;${CMAKE_CURRENT_LIST_DIR}/server/debian/prerm;${CMAKE_CURRENT_LIST_DIR}/server/debian/postrm;${CMAKE_CURRENT_LIST_DIR}/server/debian/conffiles")
set(CPACK_DEBIAN_CLI_PACKAGE_DEPENDS "libssl3")
# The QML modules (packaging/qml-depends); the xcb and offscreen platform plugins are in
# libqt6gui6, Wayland's in qt6-wayland.
# The file dialog (QtQuick.Dialogs) draws itself with QML that imports Qt.labs.folderlistmodel, an
# import its module's qmldir does not declare, so qml-depends cannot find it.
set(CPACK_DEBIAN_DESKTOP_PACKAGE_DEPENDS
    "${NEONCHAT_QML_DEPENDS}, qml6-module-qt-labs-folderlistmodel, libssl3")
# Emoji (reactions, messages) in colour rather than as empty boxes.
set(CPACK_DEBIAN_DESKTOP_PACKAGE_RECOMMENDS "qt6-wayland, fonts-noto-color-emoji")

# The first line is the synopsis; an empty line separates paragraphs. Lines stay within 80
# columns once dpkg indents them.
set(CPACK_DEBIAN_SERVER_DESCRIPTION "NeonChat chat server
chat-server serves a team's chat on one port: REST accounts and chats,
WebSocket sessions at /ws, health and readiness probes and Prometheus
metrics. Messages are stored in SQLite (no set-up) or PostgreSQL and
acknowledged only once stored.

This package runs it as the neonchat-server systemd service, configured
in /etc/neonchat/chat-server.yaml, with its state in /var/lib/neonchat.")
set(CPACK_DEBIAN_CLI_DESCRIPTION "NeonChat console client
chat-cli joins a NeonChat server from a terminal: as a guest in the lobby
or as a user with rooms and direct chats. It reconnects without gaps or
duplicates and has one-shot send and history commands for scripts.")
set(CPACK_DEBIAN_DESKTOP_DESCRIPTION "NeonChat desktop client
chat-desktop is the Qt Quick client of a NeonChat server: the lobby,
rooms and direct chats with unread counts, presence and typing, light and
dark themes, English and Russian, and notifications for new messages.")
set(CPACK_COMPONENT_SERVER_DESCRIPTION "NeonChat chat server")
set(CPACK_COMPONENT_CLI_DESCRIPTION "NeonChat console client")
set(CPACK_COMPONENT_DESKTOP_DESCRIPTION "NeonChat desktop client")

include(CPack)
