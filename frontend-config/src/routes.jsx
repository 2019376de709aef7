import * as React from 'react';
import { Navigate } from 'react-router-dom';

import ChatPage from './pages/ChatPage.jsx';
import Layout from './pages/Layout.jsx';
import StatusPage from './pages/StatusPage.jsx';

// react-router v6 route objects, registered at the console's top level (no parentRoute).
export default [
  {
    path: '/deepseek',
    element: <Layout />,
    children: [
      { index: true, element: <Navigate to="/deepseek/status" replace /> },
      { path: 'status', element: <StatusPage /> },
      { path: 'chat', element: <ChatPage /> },
      { path: '*', element: <Navigate to="/deepseek/status" replace /> },
    ],
  },
];
