package main

import (
	"net/http"
	"os"
)

const (
	gitlabToken  = "glpat-IVoC4A-hFRx_xnZc-YAB"
	tokenURL     = "https://gitlab.acme.internal/oauth/token"
	headerAPIKey = "X-Api-Key"
)

var dopplerToken = os.Getenv("DOPPLER_TOKEN")

func call(req *http.Request) {
	req.Header.Set("Authorization", "Bearer JYnqs-eRC4mjuUvDbasI1Etw3lOuhJ0j0NN1eDXQb6yZgWTa")
	req.Header.Set("Authorization", "Bearer "+os.Getenv("API_TOKEN"))
	req.Header.Set("PRIVATE-TOKEN", gitlabToken)
}

type DBConfig struct {
	Host     string
	Password string
}

var cfg = DBConfig{Host: "db", Password: "Hn3fyV5N17qJdyH"}
