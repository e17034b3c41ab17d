"""Everything that knows WeCom: crypto, callback routes, parsing, the API client, the simulator."""
