"""The web app: REST API, care inbox, PR board, trend dashboards; Kibana objects and index templates."""
