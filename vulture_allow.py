"""What frameworks call by name, for ``vulture`` (``make lint``): not dead, only not called
by our code. Each line says who calls it; ``_`` stands for any object."""

_.model_config  # pydantic-settings reads a settings class's model_config
_.ua_bot_log_level  # read from the environment before the settings (adapters/main.py)
_._normalise_url, _._known_zone, _._long_secret  # pydantic field validators
_.do_process_update  # python-telegram-bot's BaseUpdateProcessor
__getattr__  # PEP 562 lazy package attributes (adapters/slack, adapters/telegram)
_.autoescape  # Jinja2's environment
_on_connect, _on_begin  # SQLAlchemy event listeners (case_store/db.py)
_.isolation_level  # sqlite3's connection attribute
_.data_received  # asyncio.Protocol
_.disabled  # logging.Logger
_.read_timeout, _.do_request  # python-telegram-bot's BaseRequest (bench)
read_timeout, write_timeout, connect_timeout, pool_timeout  # passed by keyword (bench)
_.binary_location  # Selenium's options
_.should_exit  # uvicorn's Server
pytest_plugins, pytestmark  # pytest
_.telegram  # a field the organiser preview template shows (preview.html)
_.regex, _.convert, _.to_string  # Starlette's URL Convertor (adapters/organiser/security.py)
_stop_all  # atexit (ua_bot/importer/isolated.py)
_.exc_text  # logging.LogRecord: the formatter prints it (ua_bot/importer/worker.py)
