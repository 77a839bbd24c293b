# install() rules and CPack: `cmake --install build` or, from build/,
# `cpack -G DEB` for pyjudge_VERSION_amd64.deb. The package holds the
# command, the supervisor binary the image is built with, the image's
# sources and the script that builds it, the man page, and README.md,
# SECURITY.md and the manual's pages (docs/*.md, in docs/ of the doc folder,
# so their links to ../SECURITY.md hold).
include(GNUInstallDirs)

install(TARGETS pyjudge RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
if(TARGET pyjudge-supervisor)
  # lib/pyjudge, not the multiarch libdir: build-image.sh finds it beside share/.
  install(PROGRAMS $<TARGET_FILE:pyjudge-supervisor> DESTINATION lib/pyjudge)
endif()
install(DIRECTORY ${CMAKE_SOURCE_DIR}/images/ DESTINATION ${CMAKE_INSTALL_DATADIR}/pyjudge/images)
install(PROGRAMS ${CMAKE_SOURCE_DIR}/scripts/build-image.sh ${CMAKE_SOURCE_DIR}/scripts/farm-acl.sh
        DESTINATION ${CMAKE_INSTALL_DATADIR}/pyjudge/scripts)
install(FILES ${CMAKE_SOURCE_DIR}/docs/pyjudge.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${CMAKE_SOURCE_DIR}/README.md ${CMAKE_SOURCE_DIR}/SECURITY.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs
        FILES_MATCHING PATTERN "*.md" PATTERN "report-html.png")  # grade.md shows the png

set(CPACK_PACKAGE_NAME pyjudge)
set(CPACK_PACKAGE_VENDOR "pyjudge")
set(CPACK_PACKAGE_CONTACT "pyjudge maintainers <pyjudge@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "batch judge for untrusted Python scripts in Docker containers")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # pyjudge_VERSION_ARCH.deb
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
# Shared-library dependencies from dpkg-shlibdeps; the engine and the
# image's build tools are what it runs against.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "binutils")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "docker.io | docker-ce, debootstrap")
include(CPack)
