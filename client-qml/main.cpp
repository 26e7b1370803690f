// SPDX-License-Identifier: MIT
// chat-desktop: loads the NeonChat QML module's main window.
#include "lobbysession.h"
#include "uitranslation.h"

#include <QCommandLineParser>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQuickWindow>
#include <QTimer>
#include <QTranslator>
#include <QtQml/qqmlextensionplugin.h>

#include <cstdio>
#include <memory>

Q_IMPORT_QML_PLUGIN(NeonChatPlugin)

using namespace Qt::StringLiterals;

namespace {

// Renders the window to a PNG once the lobby history is shown, then quits: used by the
// end-to-end test and to make the README's screenshots from the current code.
void screenshotWhenReady(QQuickWindow *window, neonchat::desktop::LobbySession *session,
                         const QString &path) {
    // Closing the connection on the way out changes the error text too; that is not a failure.
    auto finished = std::make_shared<bool>(false);
    QObject::connect(session, &neonchat::desktop::LobbySession::historyLoaded, window, [=] {
        QObject::connect(
            window, &QQuickWindow::frameSwapped, window,
            [=] {
                *finished = true;
                const bool saved = window->grabWindow().save(path);
                if (!saved) {
                    std::fprintf(stderr, "chat-desktop: cannot write %s\n", qUtf8Printable(path));
                }
                QCoreApplication::exit(saved ? 0 : 1);
            },
            Qt::SingleShotConnection);
        window->update();
    });
    QObject::connect(session, &neonchat::desktop::LobbySession::errorTextChanged, window, [=] {
        if (!*finished && !session->errorText().isEmpty()) {
            std::fprintf(stderr, "chat-desktop: %s\n", qUtf8Printable(session->errorText()));
            QCoreApplication::exit(1);
        }
    });
}

} // namespace

int main(int argc, char *argv[]) {
    QGuiApplication app(argc, argv);
    QGuiApplication::setApplicationName(u"chat-desktop"_s);
    QGuiApplication::setOrganizationName(u"NeonChat"_s);
    QGuiApplication::setApplicationDisplayName(u"NeonChat"_s);
    QGuiApplication::setApplicationVersion(QStringLiteral(NEONCHAT_VERSION));
    QTranslator translator;
    if (neonchat::desktop::loadUiTranslation(translator, QLocale())) {
        QCoreApplication::installTranslator(&translator);
    }

    QCommandLineParser parser;
    parser.setApplicationDescription(u"NeonChat desktop client."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({u"server"_s, u"WebSocket address of the server."_s, u"URL"_s});
    parser.addOption({u"name"_s, u"Join the lobby at once with this guest name."_s, u"NAME"_s});
    parser.addOption({u"screenshot"_s,
                      u"Join, render the window to this PNG file once the lobby is shown, and "
                      "exit (needs --name)."_s,
                      u"FILE"_s});
    parser.process(app);

    QQmlApplicationEngine engine;
    engine.setInitialProperties({{u"initialServer"_s, parser.value(u"server"_s)},
                                 {u"initialName"_s, parser.value(u"name"_s)},
                                 {u"autoJoin"_s, parser.isSet(u"name"_s)}});
    // Qt 6.4 has no loadFromModule(): the module's Main.qml is loaded by its resource URL.
    engine.load(QUrl(u"qrc:/qt/qml/NeonChat/qml/Main.qml"_s));
    if (engine.rootObjects().isEmpty()) {
        return 1;
    }
    auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst());
    auto *session = window->property("session").value<neonchat::desktop::LobbySession *>();
    if (parser.isSet(u"screenshot"_s)) {
        if (!parser.isSet(u"name"_s) || !session) {
            std::fprintf(stderr, "chat-desktop: --screenshot needs --name\n");
            return 2;
        }
        screenshotWhenReady(window, session, parser.value(u"screenshot"_s));
    }
    return QGuiApplication::exec();
}
