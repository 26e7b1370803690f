// SPDX-License-Identifier: MIT
// chat-desktop: loads the NeonChat QML module's main window.
#include "appearance.h"
#include "chatsession.h"
#include "desktopnotifier.h"
#include "trayicon.h"
#include "uitranslation.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QQmlApplicationEngine>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QTranslator>
#include <QtQml/qqmlextensionplugin.h>

#include <cstdio>
#include <memory>
#include <optional>

Q_IMPORT_QML_PLUGIN(NeonChatPlugin)

using namespace Qt::StringLiterals;
using neonchat::desktop::Account;
using neonchat::desktop::Appearance;
using neonchat::desktop::ChatSession;

namespace {

// Renders the window to a PNG once what it shows is loaded (the login page at once; a signed-in
// session once it is online with its open chat's messages and their images), then quits. The
// README's screenshots and the end-to-end test use it.
void screenshotWhenReady(QQuickWindow *window, ChatSession *session, const QString &path) {
    auto *previews = session->previews();
    // Images inline are part of what is loaded: decoded as soon as their files are there.
    previews->setDecodeInBackground(false);
    QObject::connect(previews, &neonchat::desktop::PreviewCache::fetchEnded, window,
                     [window] { window->update(); });
    auto capture = [window, path, previews] {
        auto taken = std::make_shared<bool>(false);
        QObject::connect(
            window, &QQuickWindow::frameSwapped, window, [window, path, previews, taken] {
                // A frame that asked for images waits for the one that has them.
                // (Set before grabbing: a grab renders, and swaps, a frame itself.)
                if (*taken || previews->fetching() > 0) {
                    return;
                }
                *taken = true;
                const bool saved = window->grabWindow().save(path);
                if (!saved) {
                    std::fprintf(stderr, "chat-desktop: cannot write %s\n", qUtf8Printable(path));
                }
                QCoreApplication::exit(saved ? 0 : 1);
            });
        window->update();
    };
    auto *account = session->account();
    if (!account->loggedIn()) {
        capture();
        return;
    }
    auto opened = std::make_shared<bool>(false);
    auto captured = std::make_shared<bool>(false);
    auto captureWhenReady = [account, opened, captured, capture] {
        if (*opened && !*captured && account->connection() == Account::Connection::Online) {
            *captured = true;
            capture();
        }
    };
    QObject::connect(session->messages(), &neonchat::desktop::MessageListModel::opened, window,
                     [opened, captureWhenReady] {
                         *opened = true;
                         captureWhenReady();
                     });
    QObject::connect(account, &Account::connectionChanged, window, captureWhenReady);
    // The app keeps trying a server it cannot reach; a screenshot of that would show nothing.
    QObject::connect(account, &Account::connectionChanged, window, [account] {
        if (account->connection() == Account::Connection::Reconnecting &&
            !account->connectionProblem().isEmpty()) {
            std::fprintf(stderr, "chat-desktop: cannot reach the server: %s\n",
                         qUtf8Printable(account->connectionProblem()));
            QCoreApplication::exit(1);
        }
    });
    const auto exitOnError = [](const QString &text) {
        if (!text.isEmpty()) {
            std::fprintf(stderr, "chat-desktop: %s\n", qUtf8Printable(text));
            QCoreApplication::exit(1);
        }
    };
    QObject::connect(session, &ChatSession::errorTextChanged, window,
                     [session, exitOnError] { exitOnError(session->errorText()); });
    QObject::connect(account, &Account::errorTextChanged, window,
                     [account, exitOnError] { exitOnError(account->errorText()); });
}

std::optional<Appearance::Theme> themeNamed(const QString &name) {
    if (name == "system"_L1) {
        return Appearance::Theme::System;
    }
    if (name == "light"_L1) {
        return Appearance::Theme::Light;
    }
    if (name == "dark"_L1) {
        return Appearance::Theme::Dark;
    }
    return std::nullopt;
}

void describeApplication() {
    QCoreApplication::setApplicationName(u"chat-desktop"_s);
    QCoreApplication::setOrganizationName(u"NeonChat"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(NEONCHAT_VERSION));
}

void addOptions(QCommandLineParser &parser) {
    parser.setApplicationDescription(u"NeonChat desktop client."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({u"theme"_s, u"Theme for this run: system, light or dark."_s, u"THEME"_s});
    parser.addOption({u"screenshot"_s,
                      u"Render the window to this PNG file once it is loaded, and exit."_s,
                      u"FILE"_s});
}

// --help and --version are answered before the GUI starts: without a display QGuiApplication
// aborts, and neither needs one. Both exit here.
void answerWithoutDisplay(int argc, char *argv[]) {
    const QCoreApplication plain(argc, argv);
    describeApplication();
    QCommandLineParser parser;
    addOptions(parser);
    if (!parser.parse(QCoreApplication::arguments())) {
        return; // the GUI's parser reports it
    }
    if (parser.isSet(u"help"_s)) {
        parser.showHelp(0);
    }
    if (parser.isSet(u"version"_s)) {
        parser.showVersion();
    }
}

} // namespace

int main(int argc, char *argv[]) {
    answerWithoutDisplay(argc, argv);
    // QApplication, not QGuiApplication: the tray icon is Qt Widgets' (trayicon.h).
    QApplication app(argc, argv);
    describeApplication();
    QGuiApplication::setApplicationDisplayName(u"NeonChat"_s);
    // Window managers match the window to the installed menu entry and icon by this name.
    QGuiApplication::setDesktopFileName(u"org.neonchat.Desktop"_s);
    QTranslator translator;
    if (neonchat::desktop::loadUiTranslation(translator, QLocale())) {
        QCoreApplication::installTranslator(&translator);
    }

    QCommandLineParser parser;
    addOptions(parser);
    parser.process(app);
    std::optional<Appearance::Theme> theme;
    if (parser.isSet(u"theme"_s)) {
        theme = themeNamed(parser.value(u"theme"_s));
        if (!theme) {
            std::fprintf(stderr, "chat-desktop: --theme is system, light or dark\n");
            return 2;
        }
    }

    if (qEnvironmentVariableIsEmpty("QT_QUICK_CONTROLS_STYLE")) {
        QQuickStyle::setStyle(u"Material"_s);
    }
    QQmlApplicationEngine engine;
    // Qt 6.4 has no loadFromModule(): the module's Main.qml is loaded by its resource URL.
    engine.load(QUrl(u"qrc:/qt/qml/NeonChat/qml/Main.qml"_s));
    if (engine.rootObjects().isEmpty()) {
        // Qt has printed the QML errors above, such as a module that is not installed.
        std::fprintf(stderr, "chat-desktop: the user interface could not be loaded\n");
        return 1;
    }
    auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst());
    auto *session = window->property("session").value<ChatSession *>();
    auto *appearance = window->property("appearance").value<Appearance *>();
    auto *tray = window->property("tray").value<neonchat::desktop::TrayIcon *>();
    if (!session || !appearance || !tray) {
        return 1;
    }
    // With a tray the closed window goes there (Main.qml), and the app runs on until Quit.
    QGuiApplication::setQuitOnLastWindowClosed(!tray->available());
    if (theme) {
        appearance->overrideTheme(*theme);
    }
    // A screenshot has the window's default size, whatever the user's last session left.
    if (!parser.isSet(u"screenshot"_s)) {
        appearance->restoreWindow(*window);
        QObject::connect(&app, &QGuiApplication::aboutToQuit, appearance,
                         [appearance, window] { appearance->rememberWindow(*window); });
    }
    neonchat::desktop::DesktopNotifier notifier;
    QObject::connect(session, &ChatSession::notificationRequested, &notifier,
                     &neonchat::desktop::DesktopNotifier::show);
    if (parser.isSet(u"screenshot"_s)) {
        // Shown as the window in use (a display without a window manager does not focus it).
        window->requestActivate();
        session->setMarksRead(false); // a look, not a read: the next run shows the same
        screenshotWhenReady(window, session, parser.value(u"screenshot"_s));
    }
    return QGuiApplication::exec();
}
