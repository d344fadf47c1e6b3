"""The comparison server of bench/serving/run.ts: the same XGBoost model behind FastAPI and
uvicorn, answering MLflow's scoring request (dataframe_split) the way a hand-written model
service usually does. Reads the model path from BENCH_MODEL.

  BENCH_MODEL=model.json /usr/bin/python3 -m uvicorn fastapi_server:app --port P --workers N
"""
import os
from typing import Any, List, Optional

import numpy as np
import xgboost as xgb
from fastapi import FastAPI
from pydantic import BaseModel

booster = xgb.Booster(model_file=os.environ["BENCH_MODEL"])
booster.set_param({"nthread": 1})
app = FastAPI()


class Split(BaseModel):
    columns: Optional[List[str]] = None
    data: List[List[Any]]


class Invocation(BaseModel):
    dataframe_split: Split


@app.post("/invocations")
def invocations(body: Invocation):
    x = np.array(body.dataframe_split.data, dtype=np.float32)
    return {"predictions": booster.inplace_predict(x, missing=np.nan).tolist()}
