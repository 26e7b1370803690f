<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>AccountCommands</name>
    <message>
        <source>chat-cli: --password-stdin: no password on standard input</source>
        <translation>chat-cli: --password-stdin: на стандартном вводе нет пароля</translation>
    </message>
    <message>
        <source>chat-cli: no terminal to ask for the password; use --password-stdin</source>
        <translation>chat-cli: нет терминала, чтобы спросить пароль; используйте --password-stdin</translation>
    </message>
    <message>
        <source>chat-cli: cannot turn off echo on this terminal</source>
        <translation>chat-cli: не удаётся отключить эхо в этом терминале</translation>
    </message>
    <message>
        <source>chat-cli: could not read the password</source>
        <translation>chat-cli: не удалось прочитать пароль</translation>
    </message>
    <message>
        <source>register</source>
        <translation>регистрация</translation>
    </message>
    <message>
        <source>registered %1; log in with: chat-cli login --server %2 --user %1</source>
        <translation>%1 зарегистрирован; войдите так: chat-cli login --server %2 --user %1</translation>
    </message>
    <message>
        <source>login</source>
        <translation>вход</translation>
    </message>
    <message>
        <source>logged in as %1 (session kept in %2)</source>
        <translation>вход выполнен как %1 (сеанс сохранён в %2)</translation>
    </message>
    <message>
        <source>chat-cli: not sent: %1</source>
        <translation>chat-cli: не отправлено: %1</translation>
    </message>
    <message>
        <source>history</source>
        <translation>история</translation>
    </message>
    <message>
        <source>edit</source>
        <translation>правка</translation>
    </message>
    <message>
        <source>delete</source>
        <translation>удаление</translation>
    </message>
    <message>
        <source>search</source>
        <translation>поиск</translation>
    </message>
</context>
<context>
    <name>CommandLine</name>
    <message>
        <source>not logged in; run chat-cli login first</source>
        <translation>вход не выполнен; сначала запустите chat-cli login</translation>
    </message>
    <message>
        <source>logged in as %1, not %2; run chat-cli login --user %2</source>
        <translation>вход выполнен как %1, а не %2; запустите chat-cli login --user %2</translation>
    </message>
    <message>
        <source>logged in to %1, not %2; run chat-cli login first</source>
        <translation>вход выполнен на %1, а не на %2; сначала запустите chat-cli login</translation>
    </message>
    <message>
        <source>the session of %1 has expired; run chat-cli login again</source>
        <translation>сеанс %1 истёк; снова запустите chat-cli login</translation>
    </message>
    <message>
        <source>WebSocket URL of the server (ws:// or wss://).</source>
        <translation>WebSocket-адрес сервера (ws:// или wss://).</translation>
    </message>
    <message>
        <source>Guest display name.</source>
        <translation>Имя гостя.</translation>
    </message>
    <message>
        <source>HTTP address of the server.</source>
        <translation>HTTP-адрес сервера.</translation>
    </message>
    <message>
        <source>Account name.</source>
        <translation>Имя учётной записи.</translation>
    </message>
    <message>
        <source>Read the password from the first line of stdin.</source>
        <translation>Прочитать пароль из первой строки стандартного ввода.</translation>
    </message>
    <message>
        <source>Chat id, or lobby.</source>
        <translation>Идентификатор чата или lobby.</translation>
    </message>
    <message>
        <source>How many messages history prints (1-200).</source>
        <translation>Сколько сообщений выводит history (1-200).</translation>
    </message>
    <message>
        <source>One JSON object per line.</source>
        <translation>Один объект JSON на строку.</translation>
    </message>
    <message>
        <source>connect: exit when the connection is lost.</source>
        <translation>connect: завершиться, если соединение потеряно.</translation>
    </message>
    <message>
        <source>Also trust the CA certificates in this file.</source>
        <translation>Доверять также сертификатам УЦ из этого файла.</translation>
    </message>
    <message>
        <source>%1 needs --user NAME and nothing else</source>
        <translation>%1 требует --user ИМЯ и ничего больше</translation>
    </message>
    <message>
        <source>%1 needs --chat ID (or --chat lobby)</source>
        <translation>%1 требует --chat ID (или --chat lobby)</translation>
    </message>
    <message>
        <source>send needs the text as one argument</source>
        <translation>send требует текст одним аргументом</translation>
    </message>
    <message>
        <source>history takes --limit 1-200 and no other argument</source>
        <translation>history принимает --limit 1-200 и никаких других аргументов</translation>
    </message>
    <message>
        <source>connect takes --name (a guest) or --user (an account), not both</source>
        <translation>connect принимает --name (гость) или --user (учётная запись), но не оба</translation>
    </message>
    <message>
        <source>connect needs --name NAME (a guest) or --user NAME (an account)</source>
        <translation>connect требует --name ИМЯ (гость) или --user ИМЯ (учётная запись)</translation>
    </message>
    <message>
        <source>Message id (edit, delete).</source>
        <translation>Идентификатор сообщения (edit, delete).</translation>
    </message>
    <message>
        <source>edit needs --message ID and the new text as one argument</source>
        <translation>edit требует --message ID и новый текст одним аргументом</translation>
    </message>
    <message>
        <source>delete needs --message ID and nothing else</source>
        <translation>delete требует --message ID и ничего больше</translation>
    </message>
    <message>
        <source>search needs the words as one argument, and takes --chat and --limit 1-50</source>
        <translation>search требует слова одним аргументом и принимает --chat и --limit 1-50</translation>
    </message>
    <message>
        <source>NeonChat console client.

Commands:
  connect --addr ws://HOST:PORT/ws --name NAME   join the lobby as a guest: incoming
          messages go to stdout, each stdin line is sent; exits on EOF once every
          line is acknowledged, or on SIGINT/SIGTERM.
  connect --server http://HOST:PORT --user NAME   the same as a logged-in user, with
          commands: /dm USER, /join ROOM, /rooms, /chats, /switch CHAT, /history [N],
          /who, /search WORDS, /reply N TEXT, /edit N TEXT, /delete N, /react N EMOJI,
          /upload PATH [TEXT], /download ID [PATH], /help, /quit.
          Plain lines go to the current chat (first the lobby).
          A lost connection is opened again (--no-reconnect: exit instead); lines not
          yet acknowledged are sent again and stored once.
  register --server http://HOST:PORT --user NAME [--password-stdin]
  login --server http://HOST:PORT --user NAME [--password-stdin]
          create an account / log in; the session is kept in the config directory.
          The password is asked on the terminal without echo, or read from stdin.
  send --chat ID|lobby TEXT [--json]   send one message as the logged-in user.
  history --chat ID|lobby [--limit N] [--json]   print a chat&apos;s latest messages.
  edit --message ID TEXT [--json]   change the text of your message.
  delete --message ID   delete a message (yours, or any in a room you created).
  search WORDS [--chat ID|lobby] [--limit N] [--json]   messages of your chats with
          every word (the last also as a prefix), newest first.
  upload PATH [TEXT] [--chat ID|lobby] [--json]   store a file and print its id;
          with --chat, send it there as a message (with TEXT).
  download ID [PATH] [--json]   save a file: as PATH, or in the directory PATH (the
          current one without PATH) under the name it was uploaded with.

--json prints one JSON object per line (a message as the protocol has it).
--ca-file trusts the CA certificates of a PEM file too (a self-signed server).

Exit status: 0 ok, 2 usage error, 3 server unreachable or connection lost,
4 authentication failed (refused session, wrong password, not logged in),
5 rejected by the server (a message, a command, a taken username, a chat you
are not in).</source>
        <translation>Консольный клиент NeonChat.

Команды:
  connect --addr ws://ХОСТ:ПОРТ/ws --name ИМЯ   войти в лобби гостем: входящие
          сообщения идут в stdout, каждая строка stdin отправляется; выход по EOF, когда
          каждая строка подтверждена, или по SIGINT/SIGTERM.
  connect --server http://ХОСТ:ПОРТ --user ИМЯ   то же для вошедшего пользователя, с
          командами: /dm USER, /join ROOM, /rooms, /chats, /switch CHAT, /history [N],
          /who, /search СЛОВА, /reply N ТЕКСТ, /edit N ТЕКСТ, /delete N, /react N ЭМОДЗИ,
          /upload ПУТЬ [ТЕКСТ], /download ID [ПУТЬ], /help, /quit.
          Обычные строки идут в текущий чат (сначала лобби).
          Потерянное соединение открывается снова (--no-reconnect: выйти); ещё не
          подтверждённые строки отправляются снова и сохраняются один раз.
  register --server http://ХОСТ:ПОРТ --user ИМЯ [--password-stdin]
  login --server http://ХОСТ:ПОРТ --user ИМЯ [--password-stdin]
          создать учётную запись / войти; сеанс хранится в каталоге настроек.
          Пароль спрашивается в терминале без эха или читается из stdin.
  send --chat ID|lobby ТЕКСТ [--json]   отправить одно сообщение от вошедшего пользователя.
  history --chat ID|lobby [--limit N] [--json]   вывести последние сообщения чата.
  edit --message ID ТЕКСТ [--json]   изменить текст своего сообщения.
  delete --message ID   удалить сообщение (своё или любое в созданной вами комнате).
  search СЛОВА [--chat ID|lobby] [--limit N] [--json]   сообщения ваших чатов, в которых
          есть каждое слово (последнее — и как начало слова), новые первыми.
  upload ПУТЬ [ТЕКСТ] [--chat ID|lobby] [--json]   сохранить файл на сервере и вывести его id;
          с --chat — отправить его туда сообщением (с ТЕКСТОМ).
  download ID [ПУТЬ] [--json]   сохранить файл: как ПУТЬ или в каталог ПУТЬ (без ПУТИ —
          в текущий) под именем, с которым он был отправлен.

--json выводит один объект JSON на строку (сообщение в виде протокола).
--ca-file доверяет также сертификатам УЦ из файла PEM (самоподписанный сервер).

Код выхода: 0 успех, 2 ошибка использования, 3 сервер недоступен или соединение потеряно,
4 ошибка аутентификации (сеанс отклонён, неверный пароль, вход не выполнен),
5 отклонено сервером (сообщение, команда, занятое имя, чат, в котором вас нет).</translation>
    </message>
    <message>
        <source>connect, register, login, send, history, edit, delete, search, upload or download</source>
        <translation>connect, register, login, send, history, edit, delete, search, upload или download</translation>
    </message>
    <message>
        <source>upload needs a PATH, and TEXT only with --chat</source>
        <translation>upload требует ПУТЬ, а ТЕКСТ — только вместе с --chat</translation>
    </message>
    <message>
        <source>download needs a file ID and at most a PATH</source>
        <translation>download требует ID файла и не больше одного ПУТИ</translation>
    </message>
    <message>
        <source>expected a command: connect, register, login, send, history, edit, delete, search, upload or download (see --help)</source>
        <translation>ожидается команда: connect, register, login, send, history, edit, delete, search, upload или download (см. --help)</translation>
    </message>
</context>
<context>
    <name>Output</name>
    <message>
        <source>%1: (deleted)</source>
        <translation>%1: (удалено)</translation>
    </message>
    <message>
        <source>(deleted)</source>
        <translation>(удалено)</translation>
    </message>
    <message>
        <source>a message not shown here</source>
        <translation>сообщение, которого здесь нет</translation>
    </message>
    <message>
        <source>(edited)</source>
        <translation>(изменено)</translation>
    </message>
    <message>
        <source>[file %1, %2, id %3]</source>
        <translation>[файл %1, %2, id %3]</translation>
    </message>
</context>
<context>
    <name>Tls</name>
    <message>
        <source>cannot read the CA file %1: %2</source>
        <translation>не удаётся прочитать файл УЦ %1: %2</translation>
    </message>
    <message>
        <source>%1 holds no PEM certificate</source>
        <translation>в %1 нет сертификата PEM</translation>
    </message>
</context>
<context>
    <name>neonchat::cli::ChatCommands</name>
    <message>
        <source>reading your chats</source>
        <translation>чтение ваших чатов</translation>
    </message>
    <message>
        <source>reading the newest message of %1</source>
        <translation>чтение последнего сообщения %1</translation>
    </message>
    <message>
        <source>! %1 needs %2</source>
        <translation>! %1 требует %2</translation>
    </message>
    <message>
        <source>! unknown command %1; /help lists them (start a line with // to send one that begins with /)</source>
        <translation>! неизвестная команда %1; /help перечисляет команды (начните строку с //, чтобы отправить текст, начинающийся с /)</translation>
    </message>
    <message>
        <source>looking up %1</source>
        <translation>поиск %1</translation>
    </message>
    <message>
        <source>! there is no user called %1</source>
        <translation>! нет пользователя с именем %1</translation>
    </message>
    <message>
        <source>opening a chat with %1</source>
        <translation>открытие чата с %1</translation>
    </message>
    <message>
        <source>listing rooms</source>
        <translation>список комнат</translation>
    </message>
    <message>
        <source>creating room %1</source>
        <translation>создание комнаты %1</translation>
    </message>
    <message>
        <source>created room #%1</source>
        <translation>создана комната #%1</translation>
    </message>
    <message>
        <source>joining %1</source>
        <translation>вход в %1</translation>
    </message>
    <message numerus="yes">
        <source> (%n unread; /history shows them)</source>
        <translation>
            <numerusform> (%n непрочитанное; /history покажет их)</numerusform>
            <numerusform> (%n непрочитанных; /history покажет их)</numerusform>
            <numerusform> (%n непрочитанных; /history покажет их)</numerusform>
        </translation>
    </message>
    <message>
        <source>now in %1%2</source>
        <translation>сейчас в %1%2</translation>
    </message>
    <message>
        <source>! you have no chat called %1; /chats lists yours</source>
        <translation>! у вас нет чата %1; /chats перечисляет ваши чаты</translation>
    </message>
    <message>
        <source>! %1 could be any of these chats; switch by id: %2</source>
        <translation>! %1 может означать любой из этих чатов; переключитесь по id: %2</translation>
    </message>
    <message>
        <source> (online)</source>
        <translation> (в сети)</translation>
    </message>
    <message numerus="yes">
        <source> [%n unread]</source>
        <translation>
            <numerusform> [%n непрочитанное]</numerusform>
            <numerusform> [%n непрочитанных]</numerusform>
            <numerusform> [%n непрочитанных]</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>#%1 (%n member(s))</source>
        <translation>
            <numerusform>#%1 (%n участник)</numerusform>
            <numerusform>#%1 (%n участника)</numerusform>
            <numerusform>#%1 (%n участников)</numerusform>
        </translation>
    </message>
    <message>
        <source>! /history takes a count from 1 to 200</source>
        <translation>! /history принимает число от 1 до 200</translation>
    </message>
    <message>
        <source>reading history</source>
        <translation>чтение истории</translation>
    </message>
    <message>
        <source>listing who is here</source>
        <translation>список участников</translation>
    </message>
    <message numerus="yes">
        <source>online in the lobby: %n account(s)</source>
        <translation>
            <numerusform>в сети в лобби: %n учётная запись</numerusform>
            <numerusform>в сети в лобби: %n учётные записи</numerusform>
            <numerusform>в сети в лобби: %n учётных записей</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>in %1: %n member(s)</source>
        <translation>
            <numerusform>в %1: %n участник</numerusform>
            <numerusform>в %1: %n участника</numerusform>
            <numerusform>в %1: %n участников</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (online)</source>
        <translation>%1 (в сети)</translation>
    </message>
    <message>
        <source>! %1 failed: %2</source>
        <translation>! не удалось: %1: %2</translation>
    </message>
    <message>
        <source>! no message of this chat is shown yet; /history shows some</source>
        <translation>! сообщений этого чата ещё не показано; /history покажет их</translation>
    </message>
    <message>
        <source>! %1 is not a message number here: 1 is the newest shown, %2 the oldest (or give a message id)</source>
        <translation>! %1 — не номер сообщения здесь: 1 — последнее показанное, %2 — самое старое (или укажите id сообщения)</translation>
    </message>
    <message>
        <source>! reply not sent: %1</source>
        <translation>! ответ не отправлен: %1</translation>
    </message>
    <message>
        <source>! not edited: %1</source>
        <translation>! не изменено: %1</translation>
    </message>
    <message>
        <source>editing the message</source>
        <translation>изменение сообщения</translation>
    </message>
    <message>
        <source>deleting the message</source>
        <translation>удаление сообщения</translation>
    </message>
    <message>
        <source>! an emoji holds no spaces and no /</source>
        <translation>! в эмодзи не бывает пробелов и /</translation>
    </message>
    <message>
        <source>taking the reaction away</source>
        <translation>снятие реакции</translation>
    </message>
    <message>
        <source>reacting</source>
        <translation>реакция</translation>
    </message>
    <message>
        <source>searching</source>
        <translation>поиск</translation>
    </message>
    <message>
        <source>nothing found for %1</source>
        <translation>ничего не найдено по запросу %1</translation>
    </message>
    <message>
        <source>more results: add words to narrow the search</source>
        <translation>есть ещё результаты: добавьте слова, чтобы сузить поиск</translation>
    </message>
    <message>
        <source>Plain lines go to the current chat. Commands:
  /dm USER        open the direct chat with USER and switch to it
  /join ROOM      join the room called ROOM (created if there is none)
  /rooms          list the rooms on the server
  /chats          list your chats, with unread counts
  /switch CHAT    go to a chat: lobby, #room, @user or an id
  /history [N]    print the last N messages of this chat (20; at most 200)
  /who            who is in this chat and who is online
  /search WORDS   find messages of all your chats with every word (newest first)
  /reply N TEXT   answer message N: 1 is the newest shown here, 2 the one before;
                  a message id works too
  /edit N TEXT    change the text of your message N
  /delete N       delete message N (yours, or any in a room you created)
  /react N EMOJI  add EMOJI to message N, or take yours away again
  /upload PATH [TEXT]  send a file, with TEXT if given (quote a PATH with spaces: &quot;my file.pdf&quot;)
  /download ID [PATH]  save the file ID (shown with its message) here, or as PATH
  /help           this list
  /quit           leave once everything you sent is acknowledged
A line starting with // sends the text after the first slash.</source>
        <translation>Обычные строки идут в текущий чат. Команды:
  /dm USER        открыть личный чат с USER и перейти в него
  /join ROOM      войти в комнату ROOM (создаётся, если её нет)
  /rooms          список комнат на сервере
  /chats          ваши чаты с числом непрочитанных
  /switch CHAT    перейти в чат: lobby, #комната, @пользователь или id
  /history [N]    вывести последние N сообщений этого чата (20; не больше 200)
  /who            кто в этом чате и кто в сети
  /search СЛОВА   найти сообщения всех ваших чатов, где есть каждое слово (новые первыми)
  /reply N ТЕКСТ  ответить на сообщение N: 1 — последнее показанное здесь, 2 — перед ним;
                  подходит и id сообщения
  /edit N ТЕКСТ   изменить текст своего сообщения N
  /delete N       удалить сообщение N (своё или любое в созданной вами комнате)
  /react N ЭМОДЗИ поставить ЭМОДЗИ на сообщение N или снять свою реакцию
  /upload ПУТЬ [ТЕКСТ]  отправить файл, с ТЕКСТОМ, если он дан (путь с пробелами — в кавычках: &quot;мой файл.pdf&quot;)
  /download ID [ПУТЬ]  сохранить файл ID (он показан с сообщением) сюда или как ПУТЬ
  /help           этот список
  /quit           выйти, когда всё отправленное подтверждено
Строка, начинающаяся с //, отправляет текст после первой косой черты.</translation>
    </message>
    <message>
        <source>! the quoted path has no closing &quot;</source>
        <translation>! у пути в кавычках нет закрывающей &quot;</translation>
    </message>
    <message>
        <source>! not sent: %1</source>
        <translation>! не отправлено: %1</translation>
    </message>
    <message>
        <source>! %1 is not a file id: a message shows its files&apos; ids</source>
        <translation>! %1 — не id файла: id файлов показаны с их сообщением</translation>
    </message>
    <message>
        <source>saved %1</source>
        <translation>сохранено: %1</translation>
    </message>
</context>
<context>
    <name>neonchat::cli::ConnectCommand</name>
    <message>
        <source>--addr must be a ws:// or wss:// URL, e.g. ws://localhost:8080/ws</source>
        <translation>--addr должен быть адресом ws:// или wss://, например ws://localhost:8080/ws</translation>
    </message>
    <message>
        <source>--name must show at least one character</source>
        <translation>--name должно содержать хотя бы один видимый символ</translation>
    </message>
    <message>
        <source>--name must be at most %1 characters</source>
        <translation>--name должно быть не длиннее %1 символов</translation>
    </message>
    <message>
        <source>--name must not hold control, format or invisible characters</source>
        <translation>--name не должно содержать управляющих, форматирующих или невидимых символов</translation>
    </message>
    <message>
        <source>! message not sent: %1 (%2)</source>
        <translation>! сообщение не отправлено: %1 (%2)</translation>
    </message>
    <message>
        <source>! server: %1 (%2)</source>
        <translation>! сервер: %1 (%2)</translation>
    </message>
    <message>
        <source>* connection lost (%1); reconnecting in %2 s</source>
        <translation>* соединение потеряно (%1); повторное подключение через %2 с</translation>
    </message>
    <message>
        <source>* reconnected to %1</source>
        <translation>* снова подключено к %1</translation>
    </message>
    <message>
        <source>* connected to %1 as %2</source>
        <translation>* подключено к %1 как %2</translation>
    </message>
    <message>
        <source>! line not sent: %1</source>
        <translation>! строка не отправлена: %1</translation>
    </message>
    <message>
        <source>connection closed (%1)</source>
        <translation>соединение закрыто (%1)</translation>
    </message>
    <message>
        <source>chat-cli: the server refused the session: %1</source>
        <translation>chat-cli: сервер отказал в сеансе: %1</translation>
    </message>
    <message>
        <source>chat-cli: connection lost: %1</source>
        <translation>chat-cli: соединение потеряно: %1</translation>
    </message>
    <message>
        <source>chat-cli: cannot connect to %1: %2</source>
        <translation>chat-cli: не удаётся подключиться к %1: %2</translation>
    </message>
    <message numerus="yes">
        <source>chat-cli: %n line(s) read but not sent</source>
        <translation>
            <numerusform>chat-cli: %n строка прочитана, но не отправлена</numerusform>
            <numerusform>chat-cli: %n строки прочитаны, но не отправлены</numerusform>
            <numerusform>chat-cli: %n строк прочитано, но не отправлено</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>* stopping: waiting for %n line(s) to be acknowledged</source>
        <translation>
            <numerusform>* остановка: ждём подтверждения %n строки</numerusform>
            <numerusform>* остановка: ждём подтверждения %n строк</numerusform>
            <numerusform>* остановка: ждём подтверждения %n строк</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>chat-cli: %n line(s) were not acknowledged</source>
        <translation>
            <numerusform>chat-cli: %n строка не подтверждена</numerusform>
            <numerusform>chat-cli: %n строки не подтверждены</numerusform>
            <numerusform>chat-cli: %n строк не подтверждено</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>neonchat::cli::FileTransfer</name>
    <message>
        <source>! cannot read %1: %2</source>
        <translation>! не удаётся прочитать %1: %2</translation>
    </message>
    <message>
        <source>it is a directory</source>
        <translation>это каталог</translation>
    </message>
    <message>
        <source>! uploading %1 failed: %2</source>
        <translation>! не удалось отправить %1: %2</translation>
    </message>
    <message>
        <source>! cannot write in %1: %2</source>
        <translation>! не удаётся писать в %1: %2</translation>
    </message>
    <message>
        <source>! downloading %1 failed: %2</source>
        <translation>! не удалось скачать %1: %2</translation>
    </message>
    <message>
        <source>! saving %1 failed: %2</source>
        <translation>! не удалось сохранить %1: %2</translation>
    </message>
    <message>
        <source>! cannot replace %1</source>
        <translation>! не удаётся заменить %1</translation>
    </message>
    <message>
        <source>there is no such file</source>
        <translation>такого файла нет</translation>
    </message>
</context>
</TS>
